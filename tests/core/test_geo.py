import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core import geo


def test_geodesic_distance_matches_known_value():
    # Leeds Civic Hall to Sheffield Town Hall: about 47 km as the crow flies.
    assert geo.geodesic_km(-1.5491, 53.8008, -1.4701, 53.3811) == pytest.approx(47.0, abs=0.5)
    many = geo.geodesic_km_many([-1.5491, 0.0], [53.8008, 0.0], [-1.4701, 1.0], [53.3811, 0.0])
    assert many[0] == pytest.approx(geo.geodesic_km(-1.5491, 53.8008, -1.4701, 53.3811))
    assert many[1] == pytest.approx(111.32, abs=0.01)  # one degree of longitude on the equator


@pytest.mark.parametrize(
    ("ref", "easting", "northing"),
    [
        ("SE 2990 3350", 429900, 433500),
        ("TQ3008080000", 530080, 180000),
        ("NN 166 712", 216600, 771200),
        ("hu 40 40", 440000, 1140000),
        ("SV 9 1", 90000, 10000),
    ],
)
def test_os_grid_references_parse(ref, easting, northing):
    assert geo.parse_grid_reference(ref) == (easting, northing)


@pytest.mark.parametrize("ref", ["XX 123 456", "SE 123 45", "12345", "SE 123456789012"])
def test_bad_grid_references_are_refused(ref):
    with pytest.raises(ValueError):
        geo.parse_grid_reference(ref)


@given(st.integers(0, 699_999), st.integers(0, 1_299_999))
def test_grid_reference_round_trips_to_the_metre(e, n):
    ref = geo.grid_reference(e, n)
    assert geo.parse_grid_reference(ref) == (e, n)


def test_bng_and_wgs84_agree_with_known_points():
    # Ben Nevis summit trig point, NN 16667 71283, is at about 56.7969 N, 5.0037 W.
    lon, lat = geo.bng_to_lonlat(216667, 771283)
    assert (lon, lat) == pytest.approx((-5.0037, 56.7969), abs=2e-4)
    e, n = geo.lonlat_to_bng(lon, lat)
    assert (e, n) == pytest.approx((216667, 771283), abs=0.01)
    with pytest.raises(ValueError, match="outside the British National Grid"):
        geo.bng_to_lonlat(-5, 100)


def test_check_lonlat_names_the_bad_field():
    assert geo.check_lonlat(-1.5, 53.8) is None
    assert geo.check_lonlat(-1.5, 95.0).startswith("lat: 95.0 is out of range")
    assert geo.check_lonlat(math.nan, 1).startswith("lon:")


def test_mercator_round_trip():
    x, y = geo.lonlat_to_mercator(-1.5, 53.8)
    assert geo.mercator_to_lonlat(x, y) == pytest.approx((-1.5, 53.8))
