from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    """Termijnbewaking: follow-ups, reviews, stalled cases, nazorg, and the daily digest."""

    name = "woonoverlast.followups"
    label = "followups"
    verbose_name = "Termijnbewaking"
