// The application's audit log: opening it, and hashing data subjects.
#include <filesystem>

#include "api/app.h"
#include "base/secret.h"

namespace kilde::api {

Status App::OpenAudit() {
  // Fails now, not at the first audited read, when another server writes this data dir's log.
  KILDE_RETURN_IF_ERROR(store_->audit().StartAppending());
  KILDE_ASSIGN_OR_RETURN(auto signer, audit::Signer::LoadOrCreate(audit::Log::KeyPath(cfg_.data_dir)));
  KILDE_ASSIGN_OR_RETURN(
      subject_key_,
      LoadOrCreateSecret((std::filesystem::path(cfg_.data_dir) / "audit-subject-key").string(), 32));
  audit_log_ = std::make_unique<audit::Log>(&store_->audit(), std::move(signer), cfg_.audit_checkpoint_every);
  audit::Recorder::Options o;
  o.checkpoint_interval = std::chrono::seconds(cfg_.audit_checkpoint_interval_seconds);
  o.group_wait = std::chrono::microseconds(cfg_.audit_group_commit_wait_us);
  recorder_ = std::make_unique<audit::Recorder>(audit_log_.get(), o);
  return Status::Ok();
}

std::string App::SubjectHash(std::string_view person_id) const {
  return HmacSha256Hex(subject_key_, person_id);
}

}  // namespace kilde::api
