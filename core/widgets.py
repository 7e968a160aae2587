from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. It only reads ISO dates, whatever the page's language formats dates as."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
