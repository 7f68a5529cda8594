// The shared library's entry points: the email_alert observer as plugin "email_alert".
#include "email_alert_observer.hpp"

TICKD_PLUGIN(tickd::email_alert::EmailAlertObserver, "email_alert", "1.0.0",
             "Emails price-level, percent-move and signal alerts over SMTP (libcurl)")
