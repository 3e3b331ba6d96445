"""Groups of municipalities declared in the region file (``[groups.<id>]``, ``[group_sets.<set>]``).

Every monitoring figure of a group is the sum over its members; a share or a per-inhabitant figure of a
group is computed from those sums, never averaged over members.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from potenzial.errors import ConfigError


@dataclass(frozen=True)
class Group:
    id: str
    set: str
    title_de: str
    title_en: str
    members: tuple[str, ...]
    source: str
    verified: bool
    placeholder: bool


@dataclass(frozen=True)
class GroupSet:
    id: str
    title_de: str
    title_en: str
    partition: bool


def load_groups(region_file: Path, region_ags: set[str]) -> tuple[dict[str, GroupSet], dict[str, Group]]:
    """The group sets and groups of a region file, checked against the region's municipalities."""
    try:
        with Path(region_file).open("rb") as fh:
            doc = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{region_file}: cannot read the groups ({exc}).") from None
    sets = {sid: GroupSet(sid, str(raw.get("title_de", sid)), str(raw.get("title_en", raw.get("title_de", sid))),
                          bool(raw.get("partition", False)))
            for sid, raw in doc.get("group_sets", {}).items()}
    groups: dict[str, Group] = {}
    for gid, raw in doc.get("groups", {}).items():
        where = f"{region_file}: [groups.{gid}]"
        set_id = str(raw.get("set", ""))
        if set_id not in sets:
            raise ConfigError(f"{where}: set = {set_id!r} is not declared; add [group_sets.{set_id or '<id>'}] "
                              f"(known: {', '.join(sorted(sets)) or 'none'}).")
        members = tuple(str(m) for m in raw.get("members", ()))
        unknown = sorted(set(members) - region_ags)
        if not members or unknown:
            raise ConfigError(f"{where}: members {unknown or '[]'} are not municipalities of the region; list AGS "
                              "of the region's municipalities.")
        if len(set(members)) != len(members):
            raise ConfigError(f"{where}: a member is listed twice.")
        if not raw.get("title_de") or not raw.get("source"):
            raise ConfigError(f"{where} lacks title_de or source; every group names where its members come from.")
        groups[gid] = Group(gid, set_id, str(raw["title_de"]), str(raw.get("title_en", raw["title_de"])), members,
                            str(raw["source"]), bool(raw.get("verified", False)), bool(raw.get("placeholder", False)))
    for sid, group_set in sets.items():
        if not group_set.partition:
            continue
        listed = [m for g in groups.values() if g.set == sid for m in g.members]
        if len(listed) != len(set(listed)) or set(listed) != region_ags:
            raise ConfigError(f"{region_file}: the groups of [group_sets.{sid}] must list every municipality exactly "
                              f"once ({len(set(listed))} of {len(region_ags)} listed, {len(listed)} entries).")
    return sets, groups
