from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature, SignatureExpired
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.audit.services import access_note

from .models import Job
from .selectors import (
    failed_emails_for,
    failed_jobs_for,
    notification_groups,
    notifications_for,
)
from .services import (
    email_unsubscribe,
    job_retry,
    notification_group_mark_read,
    notification_resend,
    notifications_mark_all_read,
    unsubscribe_link_user,
)


@login_required
def notification_list(request):
    groups = notification_groups(request.user)
    # Names and session details are the patients' data: the page is in their access log.
    access_note(
        request, {g.latest.patient_id for g in groups if g.patient_name and g.latest.patient_id}
    )
    unread = sum(g.unread for g in groups)
    return render(request, "reminders/list.html", {"groups": groups, "unread": unread})


@login_required
@require_POST
def notification_read_all(request):
    read = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{read} notification{'s' if read != 1 else ''} marked read.")
    return redirect("reminders:list")


@login_required
@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    notification_group_mark_read(user=request.user, notification=notification)
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
    """A failed check runs again, a failed invitation is sent again: for its patient's care
    team, or a clinic admin for a clinician's invitation. Anyone else gets a 404."""
    job = get_object_or_404(failed_jobs_for(request.user), pk=pk)
    job_retry(user=request.user, job=job)
    if job.is_email:
        messages.success(request, f"The {job.get_kind_display().lower()} will be sent again.")
    else:
        messages.success(request, f"The {job.get_kind_display().lower()} will run again.")
    if job.kind == Job.Kind.INVITATION_EMAIL and job.patient_id is None:
        return redirect("accounts:team")
    return _back(request, job.patient_id)


def _back(request, patient_id):
    if patient_id and request.user.is_clinician:
        return redirect("patients:detail", patient_id)
    return redirect("reminders:list")


# Mail providers POST the one-click request with no session and no CSRF token (RFC 8058). A
# forged cross-site POST would need the signed token in the path, and whoever has it can already
# post: the token does the CSRF token's work, so this view, and only this one, is exempt.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
# No cache keeps a page reached with a key to an account's setting, visitor or not.
@cache_control(private=True, no_store=True)
def unsubscribe(request, token):
    """Reminder emails off from the email itself, with no login: the signed token names the
    account, whoever is signed in. A GET (a person, or a mail scanner following links) only asks;
    a POST turns them off (or, from the page's undo button, on again). The page names nobody."""
    try:
        user = unsubscribe_link_user(token)
    except SignatureExpired:
        # 410 Gone, not 404: the link was genuine (only our key signs one that can expire), so
        # it can say so and point to the newer link every reminder email carries.
        days = settings.GREENLIGHT["UNSUBSCRIBE_LINK_DAYS"]
        return render(request, "reminders/unsubscribe_expired.html", {"days": days}, status=410)
    except BadSignature as error:
        # 404: an altered or made-up link is an address with nothing behind it, like any other.
        raise Http404 from error
    if request.method != "POST":
        return render(request, "reminders/unsubscribe.html")
    subscribed = request.POST.get("action") == "resubscribe"
    email_unsubscribe(user=user, subscribed=subscribed)
    return render(request, "reminders/unsubscribed.html", {"subscribed": subscribed})
