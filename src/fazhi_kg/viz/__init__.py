"""Pictures of the report graphs: Matplotlib figures (`figures`), the CJK font they need (`fonts`)
and the self-contained HTML explorer (`explorer`).

Nothing heavy is imported here; Matplotlib loads when a figure is first made.
"""
