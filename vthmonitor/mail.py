"""E-mail over SMTP for reports and alerts (docs/rapport.md): host, port, TLS and sender come
from the settings (VTHMONITOR_SMTP_HOST and the others of its kind). One connection per run of
`verzend` or `signaleer`; a recipient the server refuses does not stop the others."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from vthmonitor.abonnementen import ADRES
from vthmonitor.settings import Settings

TIMEOUT_S = 30


class MailFout(RuntimeError):
    """The SMTP server could not be reached or refused (Dutch message)."""


@dataclass(frozen=True)
class Bijlage:
    naam: str
    inhoud: bytes
    soort: str = "application/pdf"


def bericht(
    settings: Settings,
    aan: str,
    onderwerp: str,
    tekst: str,
    bijlagen: tuple[Bijlage, ...] = (),
) -> EmailMessage:
    """One message in UTF-8: plain text (readable in every mail client and by a screen
    reader), with attachments."""
    if not ADRES.fullmatch(aan):
        raise MailFout(f"'{aan[:80]}' is geen enkel e-mailadres; er is niets verzonden.")
    msg = EmailMessage()
    msg["From"] = settings.smtp_afzender
    msg["To"] = aan
    # a header never carries a line break from data (header injection)
    msg["Subject"] = " ".join(onderwerp.split())
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.smtp_afzender.rsplit("@", 1)[-1])
    msg["Content-Language"] = "nl"
    msg.set_content(tekst)
    for bijlage in bijlagen:
        hoofd, sub = bijlage.soort.split("/", 1)
        msg.add_attachment(bijlage.inhoud, maintype=hoofd, subtype=sub, filename=bijlage.naam)
    return msg


class Verzender:
    """An open SMTP connection, used as a context manager."""

    def __init__(self, settings: Settings):
        if not settings.smtp_host:
            raise MailFout(
                "er is geen mailserver ingesteld; zet VTHMONITOR_SMTP_HOST (en zo nodig "
                "VTHMONITOR_SMTP_PORT, VTHMONITOR_SMTP_TLS, VTHMONITOR_SMTP_AFZENDER)."
            )
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Verzender:
        s = self.settings
        try:
            if s.smtp_tls == "ssl":
                self.smtp = smtplib.SMTP_SSL(
                    s.smtp_host,
                    s.smtp_port,
                    timeout=TIMEOUT_S,
                    context=ssl.create_default_context(),
                )
            else:
                self.smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_S)
                if s.smtp_tls == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
            if s.smtp_gebruiker:
                self.smtp.login(s.smtp_gebruiker, s.smtp_wachtwoord or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFout(
                f"de mailserver {s.smtp_host}:{s.smtp_port} ({s.smtp_tls}) is niet bereikbaar of "
                f"weigert: {exc}. Controleer VTHMONITOR_SMTP_HOST, VTHMONITOR_SMTP_PORT en "
                "VTHMONITOR_SMTP_TLS."
            ) from exc
        return self

    def stuur(self, msg: EmailMessage) -> None:
        assert self.smtp is not None
        try:
            self.smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFout(f"de mailserver weigerde het bericht aan {msg['To']}: {exc}") from exc

    def __exit__(self, *exc_info) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
