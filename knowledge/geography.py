"""Place names people type for a country, city or region, folded to the keys filters compare.

The knowledge stores a country and city only where the source gives them (`Organisation.place`);
this table only says which typed words mean the same place ("Korean" is Korea) and which
countries a region holds (a plain geographic grouping, not a claim about any company).
"""

from __future__ import annotations

from knowledge.names import normalise

#: typed form (normalised) -> the key of the place it means (normalised country or city)
_SAME_PLACE = {
    "korean": "korea",
    "southkorea": "korea",
    "rok": "korea",
    "japanese": "japan",
    "chinese": "china",
    "prc": "china",
    "mainlandchina": "china",
    "usa": "us",
    "unitedstates": "us",
    "unitedstatesofamerica": "us",
    "america": "us",
    "american": "us",
    "french": "france",
}

#: region key -> the country keys it holds
REGIONS: dict[str, frozenset[str]] = {
    "asia": frozenset({"china", "japan", "korea", "singapore", "taiwan", "hongkong", "india"}),
    "europe": frozenset({"france", "germany", "uk", "switzerland", "denmark", "belgium"}),
    "northamerica": frozenset({"us", "canada"}),
}
_SAME_REGION = {"asiapacific": "asia", "apac": "asia", "eastasia": "asia", "eu": "europe"}


def place_key(name: str) -> str:
    """Return the key a typed place name compares by: 'South Korea' and 'Korean' -> 'korea'."""
    key = normalise(name)
    return _SAME_PLACE.get(key, key)


def region_countries(name: str) -> frozenset[str] | None:
    """Return the country keys of a region a user typed ('Asia', 'APAC'), or None if it is none."""
    key = normalise(name)
    return REGIONS.get(_SAME_REGION.get(key, key))
