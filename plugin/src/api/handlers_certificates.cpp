#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certificates/file_name.hpp"
#include "certificates/qr.hpp"
#include "certificates/signing.hpp"
#include "certificates/zip_stream.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_certificates.hpp"
#include "plugin/certify/maker.hpp"
#include "plugin/http/conditional.hpp"

namespace plugin::api::handlers {

namespace {

using http::beast_http::field;
using http::beast_http::status;

std::string attachment(std::string_view file_name) {
  // Names are ASCII letters, digits, '-', '_' and '.', so they need no quoting beyond the quotes.
  return "attachment; filename=\"" + std::string(file_name) + "\"";
}

/// The series of a serial ("LSG-EKZ-IP-2019-000123" -> "LSG-EKZ-IP-2019").
std::string seriesOf(const std::string& serial) {
  return serial.substr(0, serial.rfind('-'));
}

/// The state of one streamed ZIP: which certificate comes next and the bytes not sent yet.
/// Each call of the producer adds one PDF, so memory holds one certificate at a time.
class ZipProducer {
 public:
  ZipProducer(courses::CertificateService& service, courses::Actor actor,
              std::vector<courses::Certificate> certificates)
      : service_(service), actor_(actor), certificates_(std::move(certificates)) {}
  ZipProducer(const ZipProducer&) = delete;
  ZipProducer& operator=(const ZipProducer&) = delete;

  bool operator()(std::string& piece) {
    if (!zip_) {
      zip_ = std::make_unique<certificates::ZipStream>(
          [this](std::string_view bytes) { pending_.append(bytes); });
    }
    bool more = true;
    if (next_ < certificates_.size()) {
      auto [certificate, pdf] = service_.pdf(actor_, certificates_[next_].id);
      ++next_;
      zip_->add(certificates::certificateFileName(certificate.serial, certificate.full_name), pdf);
    } else {
      zip_->finish();
      more = false;
    }
    piece.swap(pending_);
    pending_.clear();
    return more;
  }

 private:
  courses::CertificateService& service_;
  courses::Actor actor_;
  std::vector<courses::Certificate> certificates_;
  std::size_t next_ = 0;
  std::string pending_;
  std::unique_ptr<certificates::ZipStream> zip_;
};

}  // namespace

http::Response issueCohortCertificates(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id cohort_id = pathId(context);
  const IssueRequest request = issueRequestFromJson(readOptionalBody(context), false);
  const auto issued = deps.certificates.issueCohort(actor, cohort_id, request.language);
  return jsonResponse(context, status::ok, cohortIssueToJson(issued, deps.public_base_url));
}

http::Response listCohortCertificates(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      certificatesToJson(deps.certificates.listForCohort(actor, pathId(context)),
                                         deps.public_base_url));
}

http::Response cohortEligibility(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      eligibilityToJson(deps.certificates.eligibility(actor, pathId(context))));
}

http::Response cohortCertificatesZip(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id cohort_id = pathId(context);
  // Listing checks that the actor may see the cohort before a single byte is sent.
  std::vector<courses::Certificate> valid;
  for (auto& certificate : deps.certificates.listForCohort(actor, cohort_id)) {
    if (certificate.status == courses::CertificateStatus::valid) {
      valid.push_back(std::move(certificate));
    }
  }
  const std::string name =
      (valid.empty() ? "cohort-" + std::to_string(cohort_id) : seriesOf(valid.front().serial)) +
      "-certificates.zip";
  http::Response response = textResponse(context, status::ok, "application/zip", {});
  response.set(field::content_disposition, attachment(name));
  response.set(field::cache_control, "private, no-store");
  // The producer's sink points into it, so it stays put behind a shared pointer.
  auto producer = std::make_shared<ZipProducer>(deps.certificates, actor, std::move(valid));
  context.stream = [producer](std::string& piece) { return (*producer)(piece); };
  return response;
}

http::Response issueEnrolmentCertificate(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id enrolment_id = pathId(context);
  IssueRequest request = issueRequestFromJson(readOptionalBody(context), true);
  const courses::Certificate issued = deps.certificates.issueOne(
      actor, enrolment_id, request.language, std::move(request.waiver_reason));
  return createdResponse(context, "/api/v1/certificates/" + std::to_string(issued.id),
                         certificateToJson(issued, deps.public_base_url));
}

http::Response getCertificate(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(
      context, status::ok,
      certificateToJson(deps.certificates.find(actor, pathId(context)), deps.public_base_url));
}

http::Response getCertificatePdf(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const auto if_none_match = context.request.find(field::if_none_match);
  if (if_none_match != context.request.end()) {
    // A certificate never changes after issue: a matching ETag needs no PDF bytes read.
    const courses::Certificate certificate = deps.certificates.find(actor, id);
    if (http::noneMatch(if_none_match->value(), certificate.etag)) {
      http::Response response = textResponse(context, status::not_modified, "application/pdf", {});
      response.erase(field::content_type);
      response.erase(field::content_length);
      response.set(field::etag, certificate.etag);
      response.set(field::cache_control, "private");
      return response;
    }
  }
  auto [certificate, pdf] = deps.certificates.pdf(actor, id);
  http::Response response = textResponse(context, status::ok, "application/pdf", std::move(pdf));
  response.set(field::content_disposition, attachment(certificates::certificateFileName(
                                               certificate.serial, certificate.full_name)));
  response.set(field::etag, certificate.etag);
  response.set(field::cache_control, "private");
  return response;
}

http::Response getCertificateQrSvg(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  // The same lookup as GET /api/v1/certificates/{id}: the same 404 for what is not the actor's.
  const courses::Certificate certificate = deps.certificates.find(actor, pathId(context));
  const std::string qr_payload = certificates::qrPayload(
      certify::verifyUrl(deps.public_base_url, certificate.serial, certificate.verification_token),
      certificates::canonicalPayload(certify::signedFields(certificate)), certificate.signature);
  http::Response response =
      textResponse(context, status::ok, "image/svg+xml", certificates::qrSvg(qr_payload));
  // It holds the verification token: the holder's browser may keep it, no shared cache may.
  response.set(field::cache_control, "private");
  return response;
}

http::Response certificateAudit(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      auditToJson(deps.certificates.audit(actor, pathId(context))));
}

http::Response revokeCertificate(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  std::string reason = revokeReasonFromJson(readBody(context));
  return jsonResponse(context, status::ok,
                      certificateToJson(deps.certificates.revoke(actor, id, std::move(reason)),
                                        deps.public_base_url));
}

http::Response myCertificates(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  // Only a learner is a person with certificates; staff accounts have none of their own.
  std::vector<courses::Certificate> own;
  if (actor.role == courses::Role::learner && actor.participant_id) {
    own = deps.certificates.listForParticipant(actor, *actor.participant_id);
  }
  return jsonResponse(context, status::ok, certificatesToJson(own, deps.public_base_url));
}

http::Response publicKey(const Dependencies& deps, http::Context& context) {
  http::Response response = jsonResponse(
      context, status::ok, publicKeyToJson(deps.signing_key.publicKey(), deps.signing_key.keyId()));
  // Public and the same for the life of the key: anyone may keep a copy for a while.
  response.set(field::cache_control, "public, max-age=3600");
  return response;
}

}  // namespace plugin::api::handlers
