from typing import TYPE_CHECKING

from .services import access_note

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView as _Base
else:
    _Base = object


class AccessLoggedMixin(_Base):
    """For DRF generic views of patients' data: the object or page served is noted for the
    access log (apps/audit/middleware.py writes it). ``access_patient_attr`` names the
    patient's id on each object."""

    access_patient_attr = "patient_id"

    def get_object(self):
        obj = super().get_object()
        access_note(self.request, [getattr(obj, self.access_patient_attr)])
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            access_note(self.request, {getattr(o, self.access_patient_attr) for o in page})
        return page
