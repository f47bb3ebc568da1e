from django.db import models


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """The newest version of each document."""
        return self.filter(is_current=True)

    def visible_to(self, user, case):
        """The documents of `case` that `user` may see (accounts.roles decides)."""
        from woonoverlast.accounts.roles import (
            can_see_confidential_documents,
            can_see_documents,
        )

        if not can_see_documents(user, case):
            return self.none()
        documents = self.filter(case=case)
        if not can_see_confidential_documents(user, case):
            documents = documents.filter(confidential=False)
        return documents

    def for_list(self):
        return self.select_related("uploaded_by", "action", "template_version__template")

    def for_case_file(self, case, user, *, can_see: bool) -> list:
        """The current documents on a prefetched case file (one query); the photos of a
        huisbezoek or other action also go on that action (`action.photos`) for the timeline.
        `can_see`: can_see_documents(user, case), already known to the case file."""
        from woonoverlast.accounts.roles import can_see_confidential_documents

        if not can_see:
            return []
        documents = self.filter(case=case).current().for_list()
        if not can_see_confidential_documents(user, case):
            documents = documents.filter(confidential=False)
        documents = list(documents)
        photos = {}
        for document in documents:
            if document.action_id and document.thumbnail:
                photos.setdefault(document.action_id, []).append(document)
        for action in case.actions.all():
            action.photos = photos.get(action.pk, [])
        return documents
