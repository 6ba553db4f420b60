"""Corpora: one report's graph (`build`), many built in parallel and incrementally (`batch`, with
its `manifest` and `workers`), the on-disk store kept in step (`store`), validated report by
report (`validate`), served with Oxigraph's server (`serve`) and pushed to other stores (`push`)."""
