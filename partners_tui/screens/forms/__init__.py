"""Record forms (`ModalScreen[T]`, ctrl+s saves, esc cancels) and the small dialogs they use."""

from partners_tui.screens.forms.activity import ActivityForm
from partners_tui.screens.forms.choose import ChooseScreen
from partners_tui.screens.forms.confirm import ConfirmScreen
from partners_tui.screens.forms.contact import ContactForm
from partners_tui.screens.forms.deal import DealForm
from partners_tui.screens.forms.event import EventForm
from partners_tui.screens.forms.partner import PartnerForm
from partners_tui.screens.forms.partner_picker import PartnerPickerScreen

__all__ = [
    "ActivityForm", "ChooseScreen", "ConfirmScreen", "ContactForm", "DealForm", "EventForm",
    "PartnerForm", "PartnerPickerScreen",
]
