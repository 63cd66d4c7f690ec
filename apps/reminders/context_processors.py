from .models import Notification
from .selectors import unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"unread_notifications": unread_count(user)}
    if user.is_patient:
        context["unread_messages"] = unread_count(user, kind=Notification.Kind.MESSAGE)
    return context
