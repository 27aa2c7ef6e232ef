"""The presenter's story: which step is on show, which partner is in the spotlight, which circuits are cut.

Plain Python (no Qt), so it is tested alone. This is view state: nothing here ever
changes the project, and none of it is undoable.

>>> story = Story(("WYP", "LCC"))
>>> story.forward(), story.key
(True, 'alone')
>>> story.spotlight_step(1), story.spotlight
(True, 'WYP')
>>> story.go(4), story.toggle_cut("C0003"), story.cuts
(True, True, ('C0003',))
>>> story.toggle_cut("C0007"), story.cuts  # a new cut replaces the last
(True, ('C0007',))
>>> story.toggle_cut("C0003", keep=True), story.cuts  # a double failure, on purpose
(True, ('C0007', 'C0003'))
>>> story.toggle_cut("C0003"), story.cuts
(True, ('C0007',))
>>> names = ("Health joins", "UNI leaves")  # scenarios compared: W in the saving step shows each in turn
>>> story.go(3), story.what_if_step(names), story.what_if
(True, True, 'Health joins')
>>> story.what_if_step(names), story.what_if_step(names), story.what_if
(True, True, None)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Step", "STEPS", "Story"]


@dataclass(frozen=True)
class Step:
    """One step of the story: its key and the short name the step indicator shows."""

    key: str
    name: str


#: The story told to a partnership board, in order.
STEPS: tuple[Step, ...] = (
    Step("partners", "Partners"),
    Step("alone", "Alone"),
    Step("shared", "Shared"),
    Step("saving", "Saving"),
    Step("cut", "Resilience"),
)


@dataclass
class Story:
    """Where the presentation is. Each change method returns whether anything changed."""

    partners: tuple[str, ...]
    step: int = 0
    #: The partner shown alone in the "alone" step (``None``: all partners together).
    spotlight: str | None = None
    #: Circuits cut in the live demonstration, in the order they were cut.
    cuts: tuple[str, ...] = ()
    #: The scenario the saving step shows instead ("What if …"; ``None``: the plan's saving).
    what_if: str | None = None

    @property
    def key(self) -> str:
        return STEPS[self.step].key

    def go(self, step: int) -> bool:
        step = max(0, min(len(STEPS) - 1, step))
        changed, self.step = step != self.step, step
        if changed:
            self.what_if = None
        return changed

    def forward(self) -> bool:
        return self.go(self.step + 1)

    def back(self) -> bool:
        return self.go(self.step - 1)

    def spotlight_step(self, delta: int) -> bool:
        """Move the spotlight through the partners and back to all of them (``delta`` is +1 or -1)."""
        if not self.partners:
            return False
        order: list[str | None] = [None, *self.partners]
        self.spotlight = order[(order.index(self.spotlight) + delta) % len(order)]
        return True

    def what_if_step(self, names: tuple[str, ...]) -> bool:
        """In the saving step, show the next of the scenarios ``names``; after the last, the saving again."""
        if self.key != "saving" or not names:
            return False
        order: list[str | None] = [None, *names]
        at = order.index(self.what_if) if self.what_if in order else 0
        self.what_if = order[(at + 1) % len(order)]
        return True

    def toggle_cut(self, circuit_id: str, keep: bool = False) -> bool:
        """Restore a circuit if it is cut; else cut it instead of the circuits cut before, or as well as them
        (``keep``: a multiple failure asked for on purpose)."""
        if circuit_id in self.cuts:
            self.cuts = tuple(c for c in self.cuts if c != circuit_id)
        else:
            self.cuts = (*self.cuts, circuit_id) if keep else (circuit_id,)
        return True

    def restore_all(self) -> bool:
        changed, self.cuts = bool(self.cuts), ()
        return changed
