"""One exception hierarchy for every user-facing failure.

Each message names the thing, the value received and the fix, so that the CLI can print it
as one line and the API can map it to an HTTP status in one place.
"""


class PotenzialError(Exception):
    """Base of every error a user can cause or fix."""


class ConfigError(PotenzialError):
    """A region, catalog or parameter file is wrong."""


class UnknownLayerError(PotenzialError):
    """A layer id that the catalog or registry does not know."""


class InputDataError(PotenzialError):
    """An input file is missing, unreadable or not what its catalog entry says."""


class CRSError(InputDataError):
    """A layer has no CRS, or one that does not fit (e.g. degrees where metres are needed)."""


class StoreError(PotenzialError):
    """The result store cannot be reached or is inconsistent."""


class StoreUnavailableError(StoreError):
    """The database behind the store cannot be reached."""


class StoreBusyError(StoreError):
    """Another run holds the store's run lock (one run writes into a store at a time)."""


class NotFoundError(PotenzialError):
    """A requested object (run, municipality, layer in a run) does not exist."""


class ParameterError(PotenzialError):
    """A request's parameter is unknown or outside its allowed range (the message names both)."""


class GoneError(NotFoundError):
    """An object that existed once and is gone for good (e.g. a scenario whose base run was deleted)."""


class DiskFullError(PotenzialError):
    """A folder a run or the server writes into (raster cache, store) is full or not writable."""
