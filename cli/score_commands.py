"""``ravine score``: score what is unscored, or rescore what a changed scorer made stale."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.progress import progress_bar
from cli.state import state_of
from ingest.rescore import rescore
from ravine.scoring import ScorerConfig


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score(
        ctx: typer.Context,
        stale: Annotated[
            bool,
            typer.Option(
                "--rescore",
                help="Also rescore documents scored by another scorer version "
                "(new entities, aliases, lexicon overrides, sentiment model or vaderSentiment "
                "release).",
            ),
        ] = False,
        workers: Annotated[
            int | None,
            typer.Option(help="Scoring processes (default: all cores; 1 = this process)."),
        ] = None,
    ) -> None:
        """Score documents that have no scores yet; with --rescore, also the stale ones.
        Results do not depend on --workers.

        Example:

            RAVINE_LEXICON_OVERRIDES=lexicon.tsv ravine score --rescore --workers 2

            RAVINE_SENTIMENT_MODEL=vader ravine score --rescore
        """
        state = state_of(ctx)
        settings = state.settings(workers=workers)
        factory = state.sessions(settings, for_writes=True)
        done = 0
        with progress_bar("scoring", console=state.err, enabled=state.interactive) as track:

            def advance(count: int) -> None:
                nonlocal done
                done += count
                track(done, None)

            report = rescore(
                factory=factory,
                config=ScorerConfig.from_settings(settings),
                stale=stale,
                workers=settings.workers,
                batch_size=settings.batch_size,
                on_progress=advance,
            )
        state.say(
            f"scored {report.scored:,} documents"
            + (
                f" ({report.unscored:,} left unscored: not English or empty)"
                if report.unscored
                else ""
            )
        )
