"""The baseline for cold start: a bare Textual app with Header + DataTable + Footer."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Bare(App):
    TITLE = "bench-bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("status", "n")
        table.add_row("bare-ready", "1")


if __name__ == "__main__":
    Bare().run()
