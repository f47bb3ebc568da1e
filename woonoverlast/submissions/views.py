"""The view half: a create form's page saved twice stores once.

`OnceViewMixin` goes first in the bases of a FormView whose `form_valid` writes through a
service and redirects to the result (woonoverlast.common.views.ServiceFormView does; set
`self.result` to what was created). On a POST whose token was saved before by the same user
(or, within a short window, the same values to the same page: after Back the browser may load
the page anew, with a new token, and restore what was typed) it skips the form and redirects to
the first result with "Dit formulier was al opgeslagen".
On a successful save it records the token with the result's id and URL in the same
transaction as the write, so two simultaneous submits store once: the second one's record
breaks the unique token, its write is rolled back, and it too lands on the first result.
"""

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

from .forms import TOKEN_FIELD
from .services import fingerprint, submission_find, submission_record, token_taken

ALREADY_SAVED = "Dit formulier was al opgeslagen. U ziet het resultaat van de eerste keer."


class OnceViewMixin:
    def submission_fingerprint(self) -> str:
        # Asked before the form and again when recording: the files are hashed once.
        if getattr(self, "_fingerprint", None) is None:
            request = self.request
            self._fingerprint = (
                fingerprint(
                    user=request.user, path=request.path, data=request.POST, files=request.FILES
                )
                if request.user.is_authenticated
                else ""
            )
        return self._fingerprint

    def earlier_submission(self):
        return submission_find(
            token=self.request.POST.get(TOKEN_FIELD, ""),
            user=self.request.user,
            fingerprint=self.submission_fingerprint(),
        )

    def already_submitted(self, submission):
        messages.info(self.request, ALREADY_SAVED)
        return redirect(submission.result_url)

    def post(self, request, *args, **kwargs):
        earlier = self.earlier_submission()
        if earlier is not None:
            return self.already_submitted(earlier)
        if token_taken(request.POST.get(TOKEN_FIELD, "")):
            # Someone else's token: never theirs to replay (a 400, nothing stored).
            raise SuspiciousOperation("Formuliertoken van een andere gebruiker")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        token = getattr(form, "submission_token", "")
        if not token:
            return super().form_valid(form)
        try:
            with transaction.atomic():
                response = super().form_valid(form)
                if response.status_code in (301, 302, 303):
                    submission_record(
                        token=token,
                        user=self.request.user,
                        result=getattr(self, "result", None),
                        result_url=response["Location"],
                        fingerprint=self.submission_fingerprint(),
                    )
        except IntegrityError:
            # The same page saved at the same moment by another request: its write stands,
            # this one's was rolled back with the token.
            earlier = self.earlier_submission()
            if earlier is None:
                raise
            return self.already_submitted(earlier)
        return response
