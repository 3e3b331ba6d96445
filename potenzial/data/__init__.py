"""Real data for a region: new regions from a boundary file, the source catalog, fetching and status.

``region_create`` makes a region folder from municipality boundaries (stand-ins for everything
not yet real); ``sources`` reads the versioned source catalog (``layers/sources/*.toml``);
``download`` fetches one file with resume and checksum; ``fetch`` turns the catalog entries a
region needs into files of its local catalog (``region.local.toml``); ``status`` says, per
layer, what the region uses now.
"""
