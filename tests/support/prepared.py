"""What the session's whole-region run (``pipeline_run`` in tests/conftest.py) prepares after its publish."""

#: the municipalities whose downloads and fact sheets it prepares: Grimma and Bad Lausick
PREPARED_MUNICIPALITIES = ("14729160", "14729010")
#: the zooms of its prepared county-wide tiles
PREPARED_ZOOMS = (8, 9)
