"""Settings and the checks of settings: the bottom layer, importing no other layer."""
