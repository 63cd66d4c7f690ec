from allauth.account.models import EmailAddress
from django.contrib import admin

# Sign-in is by the user's own email field; allauth's table of extra addresses is unused.
if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)
