"""When and what a console screen draws (DrawsPendingRepaints).

Part of ui/textual_compat/: every use of Textual's private API is in this package (STYLE §15),
each assumption pinned by tests/ui/test_textual_compat.py or tests/ui/test_drawing.py."""

from __future__ import annotations

import asyncio
from time import monotonic as _monotonic

from textual import messages
from textual.reactive import Reactive
from textual.screen import Screen

from deskconsole.ui.textual_compat.compositor import DrawsWhatChanged

_GAP = 0.005  # the least time between two frames drawn once ready (DrawsPendingRepaints)
_HOLD = 1 / 60  # the longest a frame waits for the screen's queued messages (DrawsPendingRepaints)
_HOLD_MESSAGES = 3  # a frame waits for so few; a longer queue is a backlog, drawn as it stands
# ... unless all it holds is widgets telling the screen to draw or lay them out again.
_REPAINTS = (messages.Update, messages.Layout, messages.UpdateScroll)


class DrawsNoBatchedFrame(Screen):
    """No frame while the app batches its updates: Textual throws such a frame away
    (App._display) after it has cleared what it drew. The sign-on screen's whole first frame
    was drawn so (the app mounts it inside a batch at start), ~10 ms before the first frame
    wasted, and the first frame the terminal got held only the widgets that changed after it:
    the text, without the box, the fields or the background. Kept as a repaint of the whole
    screen, drawn once the batch is over. Needs App._batch_count and Textual's call of
    _compositor_refresh from every frame path.

    Its compositor draws a partial frame from the widgets that changed (DrawsWhatChanged).
    Needs Screen._compositor, made in Screen.__init__ and kept."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = DrawsWhatChanged()

    def _compositor_refresh(self) -> None:
        if not self._batched():
            super()._compositor_refresh()

    def _batched(self) -> bool:
        """True (and the screen kept to be repainted) when a frame now would be thrown away."""
        if self.app._batch_count and self.app.screen is self:
            self._repaint_required = True
            return True
        return False


class DrawsPendingRepaints(DrawsNoBatchedFrame):
    """Every console screen: no frame while the app batches (DrawsNoBatchedFrame), and six
    changes to when and what Textual draws:

    - Each frame also draws the widgets that asked to be repainted and have not told the screen
      yet (draw_pending_repaints). Needs Screen._compositor_refresh, Textual's frame.
    - Moving the focus draws the widgets it moves between, not the whole screen: Textual's
      `Screen.focused` is a reactive that repaints the screen when set (every Tab drew every
      widget again, ~15 ms on the reception screen). The focus's look is drawn anyway:
      Screen._update_focus_styles restyles the widgets whose :focus or :focus-within changed.
    - A change is drawn as soon as the screen and every widget shown are done with their
      messages, not at the next tick of Textual's 60 fps frame timer, which held a saved
      check-in or a queue page back by up to a frame period (8 ms on average) after it was
      ready, and after a long frame by up to two (its catch-up lands a period past its grid:
      an opened ticket's history waited 26 ms after its header's frame). Not while a widget
      shown still has messages, styles to refresh or a table's columns to measure (the frame
      would show a state about to change: asked again once that one is done), not sooner than
      _GAP after the last frame (then exactly _GAP after it), so a widget that asks to be drawn
      again at every frame cannot spin the console. Needs Screen._on_idle, _on_timer_update
      (Textual's frame step, also Pilot's), _dirty_widgets and _*_required, App._batch_count,
      Widget._message_queue, _refresh_styles_required, DataTable._require_update_dimensions
      and _updated_cells.
    - Covered by an opaque screen, a change draws nothing: Textual handed the region to the
      top screen to repaint (pushing a screen repainted it whole once more). The console's
      dialogs are opaque too (app.tcss); the command palette lets the screen beneath show.
      Needs Screen._compositor._dirty_regions and _dirty_widgets, cleared as Textual clears them.
    - No frame while the screen itself has a few messages queued, a frame period (_HOLD) at most:
      they are repaints on their way (a field's hint blanked at Ctrl+S drew a frame of its own
      after the cleared form's) or the screen's resume, queued as the mode switches while
      Textual draws the switch's layout at once, then the whole screen again once resumed
      (every F-key drew its screen twice). Its idle draws them together. Needs
      Screen._message_queue and Textual's call of _compositor_refresh from every frame path.
    - The first frame after a save the receptionist asked for waits for it too, a frame
      period at most (_waits_for_save): a check-in drew the blanked form, then its queue row
      in a second frame ~10 ms later; now both in one."""

    focused = Reactive(None, repaint=False)
    _drawn_at = 0.0

    def _compositor_refresh(self) -> None:
        if self._batched():
            return
        if self.app.screen is not self and self.app.screen.styles.background.a == 1:
            self._compositor._dirty_regions.clear()  # hidden: its resume repaints it whole
            self._dirty_widgets.clear()
            self._regions_held = False
            return
        now = _monotonic()
        if self.app.screen is self and (self._repaints_on_their_way() or self._waits_for_save()) \
                and not self._hold_over and now - (self._held_at or now) < _HOLD:
            # Repaints and the screen's resume are on their way: drawn with them once they are
            # handled (_on_idle), or _HOLD after the first frame held, whichever comes first.
            if self._held_at is None:
                self._held_at = now
                asyncio.get_running_loop().call_later(_HOLD, self._draw_held)
            if self._compositor._dirty_regions:
                # A layout's regions stay in the compositor until a frame draws them; Textual's
                # frame step forgets that it has them to draw (it clears _dirty_widgets after its
                # layout), so the screen remembers. They were kept as a repaint of the whole
                # screen: every save whose queue row scrolled the table drew every widget again.
                self._regions_held = True
            return
        self._held_at = None
        self._regions_held = self._save_held = False
        draw_pending_repaints(self)
        Screen._compositor_refresh(self)
        self._drawn_at = _monotonic()

    def _repaints_on_their_way(self) -> bool:
        """A few messages queued for the screen, or only widgets' repaints and layouts (each
        handled in microseconds): a ticket opened queued five, its header's, steps' and
        follow-ups' new sizes among them, and the frame drawn before them was laid out and
        drawn whole again with the history (bench/NOTES.md, "Drawn where it changed").
        Needs MessagePump._message_queue and its deque, textual._queue.Queue.values."""
        queued = self._message_queue.qsize()
        return 0 < queued and (queued <= _HOLD_MESSAGES or all(
            type(message) in _REPAINTS for message in self._message_queue.values))

    def _waits_for_save(self) -> bool:
        """A save the receptionist just asked for is being written: its outcome (the queue's new
        row, a refusal under its field) mostly comes within a frame period, and is drawn with
        the blanked form in one frame, not in a second one after it. Once per save: a save
        slower than that (the store locked by another desk) holds no later frame, so what is
        typed meanwhile shows at once."""
        save = self._save_in_flight()
        if save is None:
            return False
        if save != self._held_for_save:  # its first frame waits; the next frame drawn ends that
            self._held_for_save, self._save_held = save, True
        return self._save_held

    _held_for_save: int | None = None
    _save_held = False

    def _save_in_flight(self) -> int | None:
        """The number of a save asked for on this screen and still being written (DeskScreen)."""
        return None

    _hold_over = False
    _regions_held = False  # a held layout's regions are left to draw (in the compositor)

    def _draw(self) -> None:
        """Textual's frame step, and the regions of a layout held before it, if that step drew
        nothing (it draws only widgets or the whole screen)."""
        drawn_at = self._drawn_at
        self._on_timer_update()
        if self._regions_held and self._drawn_at == drawn_at and self.is_current and not self._batched():
            self._compositor_refresh()

    def _draw_held(self) -> None:
        if self._held_at is not None and self.is_attached and self.is_current:
            self._hold_over = True
            try:
                self._draw()
            finally:
                self._hold_over = False
        self._held_at = None  # drawn, or the screen was left: the next hold starts afresh

    _held_at: float | None = None

    async def _on_idle(self, event) -> None:
        ready = self._ready_to_draw()
        if ready:
            self._draw()
        elif ready is None and not self._draw_due:  # a frame was just drawn: the next, _GAP after it
            self._draw_due = True
            delay = max(0.0, self._drawn_at + _GAP - _monotonic())
            asyncio.get_running_loop().call_later(delay, self._draw_when_due)
        await super()._on_idle(event)

    _draw_due = False

    def _draw_when_due(self) -> None:
        self._draw_due = False
        if self.is_attached and self._ready_to_draw():
            self._draw()

    def _ready_to_draw(self) -> bool | None:
        """True: draw now; None: ready, but a frame was drawn less than _GAP ago; False:
        nothing to draw, or not ready yet (asked again once the busy one is done)."""
        if self.app._batch_count or not self.is_current or self._recompose_required:
            return False
        if not (self._dirty_widgets or self._repaint_required or self._layout_required or self._scroll_required
                or self._regions_held):
            return False
        busy = self.app if self.app._message_queue.qsize() else next(
            (w for w in self._compositor.visible_widgets if _still_working(w)), None)
        if busy is not None:  # asked again once it is done, not left to the frame timer
            busy.call_next(self.check_idle)
            return False
        return True if _monotonic() - self._drawn_at >= _GAP else None


def _still_working(widget) -> bool:
    return bool(widget._message_queue.qsize() or widget._refresh_styles_required
                or getattr(widget, "_require_update_dimensions", False) or getattr(widget, "_updated_cells", None))


def draw_pending_repaints(screen: Screen) -> None:
    """Call just before the screen draws a frame: widgets that asked to be repainted and have
    not told the screen yet are drawn in this frame too, not in one of their own.

    A layout tells each scrollable its new size (Widget._size_updated), and a table's
    scrollbars ask for a repaint there; Textual passes that on by message after the layout's
    frame, so the scrollbars got a frame of their own (bench/NOTES.md, "Trailing frames").
    Needs Screen._compositor (visible_widgets, update_widgets), Widget._layout_required and
    _repaint_required, the flag Widget._check_refresh turns into that message (cleared here,
    as Textual clears it)."""
    compositor = screen._compositor
    # Not a widget waiting for a layout too (Textual sends both together: drawn now, it would
    # show its new look at its old size for a frame), nor one hidden since the last layout.
    pending = {widget for widget in compositor.visible_widgets
               if widget._repaint_required and not widget._layout_required and widget.display}
    if pending:
        compositor.update_widgets(pending)
        for widget in pending:
            widget._repaint_required = False
