from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature, TimestampSigner
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.models import User

from .selectors import failed_emails_for, failed_jobs_for, notifications_for
from .services import email_unsubscribe, job_retry, notification_mark_read, notification_resend


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


@login_required
@require_POST
def notification_send_again(request, pk):
    """A failed email, tried again with a fresh set of attempts: its patient's care team, a
    clinic admin, or its own recipient. Anyone else gets a 404."""
    notification = get_object_or_404(failed_emails_for(request.user), pk=pk)
    notification_resend(user=request.user, notification=notification)
    messages.success(
        request, f"“{notification.title}” will be sent again to {notification.recipient.email}."
    )
    return _back(request, notification.patient_id)


@login_required
@require_POST
def job_run_again(request, pk):
    job = get_object_or_404(failed_jobs_for(request.user), pk=pk)
    job_retry(user=request.user, job=job)
    messages.success(request, f"The {job.get_kind_display().lower()} will run again.")
    return _back(request, job.patient_id)


def _back(request, patient_id):
    if patient_id and request.user.is_clinician:
        return redirect("patients:detail", patient_id)
    return redirect("reminders:list")


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
