#pragma once
// A person's export as a readable PDF in their language (kk, ru, en): the words here, the layout
// in certificates::renderRecord. Private to plugin/src/api.

#include <string>

#include "certificates/fonts.hpp"
#include "courses/data_rights_service.hpp"

namespace plugin::api {

/// The PDF bytes of everything `data` holds, in data.language.
std::string personRecordPdf(const courses::PersonExport& data, const certificates::FontSet& fonts);

}  // namespace plugin::api
