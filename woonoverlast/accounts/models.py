from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A member of team Woonoverlast; what they may do follows from their role (group)."""

    class Meta(AbstractUser.Meta):
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username
