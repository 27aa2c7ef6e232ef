"""A split saved with its project comes back as it was, and only for the project and design it was for."""

import json
from dataclasses import replace

from planner.analysis.sharing import share_costs
from planner.analysis.sharing_file import sharing_from_dict, sharing_to_dict
from planner.core.project_file import read_project, save_project
from planner.design import design_project
from tests.analysis.test_sharing import six_partners


def test_a_sampled_split_reopens_as_it_was_and_not_for_another_project(tmp_path):
    project = six_partners()
    design = design_project(project)
    sampled = share_costs(project, design, exact_up_to=2, permutations=6)
    assert not sampled.exact
    path = tmp_path / "plan.json"
    save_project(project, path, sharing=sharing_to_dict(sampled, project, design, 60.0))
    saved = read_project(path)
    json.dumps(saved.sharing)  # plain JSON
    assert sharing_from_dict(saved.sharing, saved.project, design, 60.0) == sampled
    # asked for more time than it had, a sampled split is worked out again; an exact one never is
    assert sharing_from_dict(saved.sharing, saved.project, design, 600.0) is None
    moved = replace(saved.project, sites=[replace(saved.project.sites[0], lon=-1.6), *saved.project.sites[1:]])
    assert sharing_from_dict(saved.sharing, moved, design, 60.0) is None  # a site moved: not this project's
    other = design_project(replace(project, settings=replace(project.settings, redundancy="tree")))
    assert sharing_from_dict(saved.sharing, saved.project, other, 60.0) is None  # another design


def test_a_damaged_saved_split_is_ignored():
    project = six_partners()
    design = design_project(project)
    doc = sharing_to_dict(share_costs(project, design), project, design, 60.0)
    assert sharing_from_dict({**doc, "partners": [{"partner": "A"}]}, project, design, 60.0) is None
    assert sharing_from_dict({"key": doc["key"]}, project, design, 60.0) is None
    exact = sharing_from_dict(doc, project, design, 6000.0)
    assert exact is not None and exact.exact  # an exact split stands whatever the time allowed
