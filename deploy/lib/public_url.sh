# shellcheck shell=bash
# The public URL certificates' QR codes and verification links point to (QATYSU_PUBLIC_URL): a
# loopback address there reaches only the computer that runs Qatysu, so a phone scanning a
# printed certificate reaches nothing. Sourced by deploy/run; tested by tests/unit/deploy.

# True (0) when URL's host is a loopback address: localhost (or a name under it), 127.0.0.0/8,
# ::1 (in brackets) or 0.0.0.0 / :: (which no other machine can reach either).
public_url_is_loopback() {
  local url=$1 rest host
  rest=${url#*://}
  rest=${rest%%/*}
  rest=${rest##*@}
  if [[ $rest == \[* ]]; then
    host=${rest#\[}
    host=${host%%\]*}
  else
    host=${rest%%:*}
  fi
  host=${host,,}
  host=${host%.}
  case $host in
    localhost | *.localhost | 0.0.0.0 | ::1 | :: | 0:0:0:0:0:0:0:1) return 0 ;;
  esac
  [[ $host =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ ]]
}

# Prints a warning on stderr when URL is a loopback address (see public_url_is_loopback).
warn_if_loopback_public_url() {
  local url=$1
  public_url_is_loopback "$url" || return 0
  cat >&2 <<WARNING
run: warning: the public URL is $url, a loopback address.
run:   Certificates issued now carry it in their QR codes and verification links, which then open
run:   only on this computer: a phone scanning a printed certificate reaches nothing. For
run:   certificates people will check, set QATYSU_PUBLIC_URL to the address they reach this
run:   server at, e.g. QATYSU_PUBLIC_URL=https://qatysu.example.kz ./deploy/run
WARNING
}
