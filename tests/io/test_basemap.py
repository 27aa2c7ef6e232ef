import pytest

from planner.core.geo import lonlat_to_mercator
from planner.io.basemap import ATTRIBUTION, LAYERS, basemap_layer


def test_every_layer_loads_in_web_mercator_over_the_british_isles():
    west, south = lonlat_to_mercator(-11, 48.4)
    east, north = lonlat_to_mercator(4.1, 61.6)
    for name in LAYERS:
        features = basemap_layer(name)
        assert features, name
        for feature in features:
            for ring in [r for polygon in feature.polygons for r in polygon] + list(feature.lines):
                assert ring.shape[1] == 2 and len(ring) >= 2
                assert west <= ring[:, 0].min() and ring[:, 0].max() <= east
                assert south <= ring[:, 1].min() and ring[:, 1].max() <= north


def test_counties_are_named_with_label_points_inside_them():
    counties = {f.name: f for f in basemap_layer("counties")}
    assert len(counties) == 218
    leeds = counties["Leeds"]
    x, y = leeds.label
    ring = leeds.polygons[0][0]
    assert ring[:, 0].min() < x < ring[:, 0].max() and ring[:, 1].min() < y < ring[:, 1].max()


def test_attribution_names_the_licence_and_an_unknown_layer_is_refused():
    assert "Open Government Licence v.3.0" in ATTRIBUTION and "Natural Earth" in ATTRIBUTION
    with pytest.raises(ValueError, match="'roads' is not a basemap layer"):
        basemap_layer("roads")
