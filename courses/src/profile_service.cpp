#include "courses/profile_service.hpp"

#include "courses/error.hpp"

namespace courses {

Profile ProfileService::me(const Actor& actor) {
  auto account = repos_.accounts.find(actor.account_id);
  if (!account) throw Error(ErrorCode::unauthenticated, "the account no longer exists");
  Profile profile;
  profile.account = *account;
  const std::optional<Id> participant_id =
      account->participant_id ? account->participant_id : actor.participant_id;
  if (account->role == Role::learner && participant_id) {
    profile.participant = repos_.participants.find(*participant_id);
    if (profile.participant) {
      profile.enrolments = repos_.enrolments.listForParticipant(*participant_id);
    }
  }
  return profile;
}

}  // namespace courses
