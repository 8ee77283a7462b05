#pragma once
// The MariaDB implementation of courses::DataRightsRepository (courses/data_rights.hpp).

#include "courses/data_rights.hpp"
#include "repositories.hpp"

namespace courses::mariadb {

class SqlDataRightsRepository final : public DataRightsRepository {
 public:
  explicit SqlDataRightsRepository(TransactionRunner& runner) : runner_(runner) {}
  std::optional<DataRightsState> state(Id participant_id) override;
  std::vector<PersonMark> marks(Id participant_id) override;
  void recordExport(Id participant_id, const ChangeContext& change) override;
  ErasureOutcome erase(Id participant_id, const EditBasis& basis, const Timestamp& now) override;
  DataRightsState withdrawConsent(Id participant_id, const EditBasis& basis,
                                  const Timestamp& now) override;
  std::optional<RetentionSetting> retention(Id programme_id) override;
  RetentionSetting setRetention(Id programme_id, std::optional<int> years,
                                const EditBasis& basis) override;
  std::vector<RetentionDue> dueForRetention(const Date& today) override;
  bool eraseContacts(Id participant_id, const Date& today, const ChangeContext& change) override;

 private:
  TransactionRunner& runner_;
};

}  // namespace courses::mariadb
