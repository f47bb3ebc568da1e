"""The team leaders' page of deliveries that failed, with a button to send them again."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_manage_subscriptions

from .models import Delivery, DeliveryStatus, Subscription
from .services import delivery_retry

PAGE_SIZE = 100


@role_required(can_manage_subscriptions)
def failed_deliveries(request):
    failed = Delivery.objects.failed().select_related("event", "subscription")[:PAGE_SIZE]
    subscriptions = Subscription.objects.annotate(
        waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    )
    return render(
        request,
        "events/failed.html",
        {"failed": failed, "subscriptions": subscriptions, "page_size": PAGE_SIZE},
    )


@role_required(can_manage_subscriptions)
@require_POST
def delivery_retry_view(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    delivery = delivery_retry(delivery, by=request.user)
    if delivery.status == DeliveryStatus.DELIVERED:
        messages.success(request, "De notificatie is afgeleverd.")
    elif delivery.status == DeliveryStatus.PENDING:
        messages.info(request, "De notificatie staat klaar om opnieuw te versturen.")
    return redirect("events:failed")
