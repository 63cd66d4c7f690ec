from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature, TimestampSigner
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.models import User

from .selectors import notifications_for
from .services import email_unsubscribe, notification_mark_read


@login_required
def notification_list(request):
    return render(
        request, "reminders/list.html", {"notifications": notifications_for(request.user)[:100]}
    )


@login_required
@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    return redirect(notification.link)


def unsubscribe(request, token):
    """One click from an email, no login needed: the signed token names the account."""
    try:
        user_id = TimestampSigner(salt="greenlight.unsubscribe").unsign(token)
    except BadSignature as error:
        raise Http404 from error
    user = get_object_or_404(User, pk=user_id)
    resubscribe = request.method == "POST" and request.POST.get("action") == "resubscribe"
    email_unsubscribe(user=user, subscribed=resubscribe)
    return render(
        request, "reminders/unsubscribed.html", {"email": user.email, "subscribed": resubscribe}
    )
