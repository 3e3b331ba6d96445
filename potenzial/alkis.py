"""ALKIS Gebäudefunktion codes (AdV, object type AX_Gebaeude = 31001), as building files carry them: bare
(``1010``), with the object type in front (``31001_1010``, ALKIS Hausumringe, LoD2 CityGML) or as a number
column reads (``1010.0``)."""

from __future__ import annotations

import math
import re

#: the code's four digits in group 1
FUNCTION_CODE = r"^(?:\d{5}_)?(\d{4})(?:\.0)?$"
_FUNCTION_CODE = re.compile(FUNCTION_CODE)


def function_code(value: object) -> int | None:
    """The Gebäudefunktion code of ``value``, None when it is none (missing, a name such as "house")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    match = _FUNCTION_CODE.match(str(value).strip())
    return int(match.group(1)) if match else None


__all__ = ["FUNCTION_CODE", "function_code"]
