// What Moodle 4.x and Canvas put in their LTI 1.3 messages, one object per platform: their
// identifiers, endpoint paths, role vocabularies, login initiation fields, id_token claims and
// NRPS members. No HTTP here (platform.mjs serves them); every builder is a plain function of
// the platform's state and the launch asked for. The sources each rule was read from are named
// beside it: Moodle's mod/lti (locallib.php lti_build_login_request, lti_build_request,
// lti_get_ims_role, lti_sign_jwt / core_ltix oauth_helper::sign_jwt and its claim mapping,
// auth.php, token.php, service/gradebookservices, service/memberships) and Canvas's
// lti_advantage_adapter.rb, lib/lti/messages/jwt_message.rb and deep_linking_request.rb,
// lti/ims/authentication_controller.rb, names_and_roles_controller.rb,
// substitutions_helper.rb (LIS_V2_LTI_ADVANTAGE_ROLE_MAP) and a recorded Canvas id_token.
import { createHash, randomBytes, randomInt } from 'node:crypto';

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const DL_CLAIM = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';

export const SCOPES = {
  lineitem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineitemRead: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultRead: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
};

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';
const MEMBERSHIP = `${LIS}membership#`;

const sha1 = (text) => createHash('sha1').update(text).digest('hex');

/** A UUID derived from `text`, stable across runs (Canvas's users and links carry UUID lti_ids). */
function uuidOf(text) {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Moodle's random_string(15): letters and digits. */
function moodleRandomString(length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Canvas's JSON::JWT-with-ActiveModel serialisation leaves these in every claim group. */
const canvasNoise = () => ({ validation_context: null, errors: { errors: {} } });

// Roles as each platform sends them in a launch. Moodle (lti_get_ims_role, then lti_sign_jwt):
// Instructor when the user may manage the activity (editing and non-editing teachers, so a TA
// too), else Learner; a site admin loses Learner and gains urn:lti:sysrole / urn:lti:instrole
// Administrator, which lti_sign_jwt turns into LIS v2 URIs; array claims are sort()ed.
// Canvas (LIS_V2_LTI_ADVANTAGE_ROLE_MAP over the user's institution roles, enrolments and the
// system role User); a site admin without enrolment gets what the recorded token shows.
const ROLES = {
  moodle: {
    instructor: [`${MEMBERSHIP}Instructor`],
    ta: [`${MEMBERSHIP}Instructor`],
    learner: [`${MEMBERSHIP}Learner`],
    admin: [`${LIS}institution/person#Administrator`, `${MEMBERSHIP}Instructor`, `${LIS}system/person#Administrator`],
  },
  canvas: {
    instructor: [`${LIS}institution/person#Instructor`, `${MEMBERSHIP}Instructor`, `${LIS}system/person#User`],
    ta: [
      `${LIS}institution/person#Instructor`,
      `${MEMBERSHIP}Instructor`,
      `${LIS}membership/Instructor#TeachingAssistant`,
      `${LIS}system/person#User`,
    ],
    learner: [`${LIS}institution/person#Student`, `${MEMBERSHIP}Learner`, `${LIS}system/person#User`],
    admin: [`${LIS}institution/person#Administrator`, `${LIS}system/person#SysAdmin`, `${LIS}system/person#User`],
  },
};

// The same on either platform: roles in the forms a tool must also understand.
const FORMS = {
  'instructor-short': ['Instructor'],
  'learner-short': ['Learner'],
  lti11: ['urn:lti:role:ims/lis/Instructor'],
  'lti11-learner': ['urn:lti:role:ims/lis/Learner'],
};

/** The roles claim `flavour` sends for `role` (a name above, or an array sent as it is). */
export function launchRoles(flavour, role) {
  if (Array.isArray(role)) return [...role];
  const roles = ROLES[flavour][role] ?? FORMS[role];
  if (!roles) throw new Error(`unknown role ${role}: ${[...Object.keys(ROLES[flavour]), ...Object.keys(FORMS)].join(', ')}`);
  return [...roles];
}

/**
 * The roles of a member in an NRPS answer. Moodle's memberships service calls lti_get_ims_role
 * with $islti2 = true and sends its bare names ("Instructor", "Learner", plus the LIS v2 person
 * Administrator for an admin); Canvas sends the enrolment (membership) roles only.
 */
export function memberRoles(flavour, role) {
  if (Array.isArray(role) || FORMS[role]) return launchRoles(flavour, role);
  if (flavour === 'moodle') {
    if (role === 'learner') return ['Learner'];
    if (role === 'admin') return ['Instructor', `${LIS}person#Administrator`];
    return ['Instructor'];
  }
  return launchRoles(flavour, role).filter((r) => r.startsWith(`${LIS}membership`));
}

/** Identifiers and paths that make a platform of `flavour` at `base` recognisable. */
export function identity(flavour, base) {
  if (flavour === 'moodle') {
    return {
      issuer: base,
      clientId: moodleRandomString(15),
      deploymentIds: ['1', '2'],
      paths: { auth: '/mod/lti/auth.php', token: '/mod/lti/token.php', jwks: '/mod/lti/certs.php' },
      siteName: 'Аудан оқу орталығы',
      siteShortName: 'АОО',
    };
  }
  if (flavour === 'canvas') {
    return {
      // Instructure-hosted Canvas uses this issuer whatever the institution's domain.
      issuer: 'https://canvas.instructure.com',
      clientId: String(10000000000000 + randomInt(1, 1000)),
      deploymentIds: ['1:8865aa05b4b79b64a91a86042e43af5ea8ae79eb', `2:${sha1(randomBytes(16))}`],
      paths: {
        auth: '/api/lti/authorize_redirect',
        authorize: '/api/lti/authorize',
        token: '/login/oauth2/token',
        jwks: '/api/lti/security/jwks',
      },
      siteName: 'Шығыс Қазақстан оқу порталы',
      guid: `${moodleRandomString(40)}:canvas-lms`,
    };
  }
  throw new Error(`flavour must be moodle or canvas, not ${flavour}`);
}

/** What the platform calls a user and a course, as the tool sees them. */
export const ids = {
  /** The `sub` of an id_token and the user_id of an NRPS member. */
  sub: (p, user) => (p.flavour === 'moodle' ? String(user.id) : uuidOf(`${p.identity.guid}|user|${user.id}`)),
  /** Canvas's Lti::Asset.opaque_identifier_for: a 40-hex id, its login_hint and LTI 1.1 user id. */
  opaque: (p, kind, id) => sha1(`${p.identity.guid}|${kind}|${id}`),
  /** The id in the context claim: Moodle's course id, Canvas's opaque context id. */
  context: (p, context) => (p.flavour === 'moodle' ? String(context.id) : ids.opaque(p, 'course', context.id)),
  resourceLink: (p, link) => (p.flavour === 'moodle' ? String(link.id) : uuidOf(`${p.identity.guid}|link|${link.id}`)),
};

/** Moodle's full name: fullname() is "first last"; Canvas keeps a separate display name. */
const fullName = (p, user) => (p.flavour === 'moodle' ? `${user.given} ${user.family}` : (user.name ?? `${user.given} ${user.family}`));

/** Service URLs of a course; Moodle's carry the tool type in a query string. */
export function serviceUrls(p, contextId) {
  if (p.flavour === 'moodle') {
    const services = `${p.url}/mod/lti/services.php`;
    return {
      lineitems: `${services}/${contextId}/lineitems?type_id=${p.deploymentId}`,
      lineitem: (itemId) => `${services}/${contextId}/lineitems/${itemId}/lineitem?type_id=${p.deploymentId}`,
      memberships: `${services}/CourseSection/${contextId}/bindings/${p.deploymentId}/memberships`,
    };
  }
  const api = `${p.url}/api/lti/courses/${contextId}`;
  return {
    lineitems: `${api}/line_items`,
    lineitem: (itemId) => `${api}/line_items/${itemId}`,
    memberships: `${api}/names_and_roles`,
  };
}

/**
 * The fields of the login initiation (Security Framework §5.1.1.1 plus LTI Core §4.1). Moodle
 * (lti_build_login_request): login_hint is the user id, lti_message_hint the JSON of the cmid
 * and a launch id kept in the session. Canvas (LtiAdvantageAdapter#login_request): login_hint is
 * the opaque user id, lti_message_hint an HS256 JWT naming the cached launch; it adds
 * canvas_environment, canvas_region and, for Platform Storage, lti_storage_target.
 */
export function loginFields(p, launch) {
  if (p.flavour === 'moodle') {
    const fields = {
      iss: p.issuer,
      target_link_uri: launch.targetLinkUri,
      login_hint: String(launch.user.id),
      lti_message_hint: launch.hint,
      client_id: p.clientId,
      lti_deployment_id: p.deploymentId,
    };
    if (launch.storageTarget) fields.lti_storage_target = launch.storageTarget;
    return fields;
  }
  const fields = {
    iss: p.issuer,
    login_hint: ids.opaque(p, 'user', launch.user.id),
    client_id: p.clientId,
    deployment_id: p.deploymentId,
    lti_deployment_id: p.deploymentId,
    target_link_uri: launch.targetLinkUri,
    lti_message_hint: launch.hint,
    canvas_environment: 'prod',
    canvas_region: 'not_configured',
  };
  if (launch.storageTarget) fields.lti_storage_target = launch.storageTarget;
  return fields;
}

/** The login_hint the platform expects back for `user` (Moodle compares it to $USER->id). */
export const loginHint = (p, user) => (p.flavour === 'moodle' ? String(user.id) : ids.opaque(p, 'user', user.id));

/** The claims of an id_token for `launch` (see Platform#claims for the fields of `launch`). */
export function launchClaims(p, launch) {
  return p.flavour === 'moodle' ? moodleClaims(p, launch) : canvasClaims(p, launch);
}

function audience(p, claims) {
  if (p.audArray) {
    claims.aud = [p.clientId];
    claims.azp = p.clientId;
  } else {
    claims.aud = p.clientId;
    if (p.flavour === 'canvas') claims.azp = p.clientId;
  }
}

// lti_sign_jwt: nonce, iat, exp = iat + 60, iss, aud (the client id, a string), deployment_id,
// target_link_uri, then the LTI 1.1 parameters mapped to claims; arrays are sort()ed.
function moodleClaims(p, launch) {
  const { user, context, link } = launch;
  const iat = launch.iat;
  const claims = { nonce: launch.nonce, iat, exp: iat + 60, iss: p.issuer };
  audience(p, claims);
  claims[`${LTI}deployment_id`] = p.deploymentId;
  claims[`${LTI}target_link_uri`] = launch.targetLinkUri;
  claims.sub = String(user.id);
  claims[`${LTI}lis`] = { person_sourcedid: '', course_section_sourcedid: '' };
  claims[`${LTI}roles`] = launch.roles;
  claims[`${LTI}context`] = { id: String(context.id), label: context.label, title: context.title, type: ['CourseSection'] };
  const deepLinking = launch.messageType === 'LtiDeepLinkingRequest';
  if (!deepLinking) claims[`${LTI}resource_link`] = { title: link.title, description: link.description ?? '', id: String(link.id) };
  claims.given_name = user.given;
  claims.family_name = user.family;
  claims.name = fullName(p, user);
  claims[`${LTI}ext`] = { user_username: user.username ?? `user${user.id}`, lms: 'moodle-2' };
  claims.email = user.email;
  claims[`${LTI}launch_presentation`] = {
    locale: launch.locale,
    document_target: 'iframe',
    return_url: `${p.url}/mod/lti/return.php?course=${context.id}&launch_container=3&instanceid=${link.id}&sesskey=${p.sesskey}`,
  };
  claims[`${LTI}tool_platform`] = {
    product_family_code: 'moodle',
    version: '2022112800',
    guid: new URL(p.url).hostname,
    name: p.identity.siteShortName,
    description: p.identity.siteName,
  };
  claims[`${LTI}version`] = '1.3.0';
  claims[`${LTI}message_type`] = launch.messageType;
  if (launch.custom) claims[`${LTI}custom`] = { ...launch.custom };
  const urls = serviceUrls(p, context.id);
  if (!deepLinking && launch.lineItem) {
    // lis_result_sourcedid and lis_outcome_service_url, sent with grades accepted
    const data = { instanceid: String(link.id), userid: String(user.id), typeid: p.deploymentId, launchid: randomInt(2 ** 31) };
    claims['https://purl.imsglobal.org/spec/lti-bos/claim/basicoutcomesservice'] = {
      lis_result_sourcedid: JSON.stringify({ data, hash: createHash('sha256').update(JSON.stringify(data)).digest('hex') }),
      lis_outcome_service_url: `${p.url}/mod/lti/service.php`,
    };
  }
  claims[AGS_CLAIM] = {
    scope: [SCOPES.lineitem, SCOPES.lineitemRead, SCOPES.resultRead, SCOPES.score].sort(),
    lineitems: urls.lineitems,
    ...(!deepLinking && launch.lineItem ? { lineitem: launch.lineItem.id } : {}),
  };
  // The memberships service offers both versions: custom_context_memberships_versions = '1.0,2.0'.
  claims[NRPS_CLAIM] = { context_memberships_url: urls.memberships, service_versions: ['1.0', '2.0'] };
  if (deepLinking) {
    // lti_build_content_item_selection_request with auth.php's arguments; booleans are JSON
    // booleans since the claim mapping got 'type' => 'boolean' (older Moodle sent "true").
    claims[DL_CLAIM] = {
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['frame', 'iframe', 'window'],
      accept_copy_advice: false,
      accept_multiple: true,
      accept_unsigned: false,
      auto_create: false,
      can_confirm: false,
      deep_link_return_url:
        launch.deepLinkReturnUrl ?? `${p.url}/mod/lti/contentitem_return.php?course=${context.id}&id=${p.deploymentId}&sesskey=${p.sesskey}`,
      title: 'Qatysu',
      text: '',
      ...(launch.deepLinkData !== undefined ? { data: launch.deepLinkData } : {}),
    };
  }
  return claims;
}

// Lti::Messages::JwtMessage (exp one hour ahead: setting lti.oauth2.access_token.exp) with the
// shape of a recorded Canvas id_token: aud and azp both the developer key id, every claim group
// carrying validation_context and errors.
function canvasClaims(p, launch) {
  const { user, context, link } = launch;
  const iat = launch.iat;
  const deepLinking = launch.messageType === 'LtiDeepLinkingRequest';
  const claims = { [`${LTI}message_type`]: launch.messageType, [`${LTI}version`]: '1.3.0' };
  if (!deepLinking) {
    claims[`${LTI}resource_link`] = { id: ids.resourceLink(p, link), description: link.description ?? null, title: link.title, ...canvasNoise() };
  }
  const urls = serviceUrls(p, context.id);
  claims[AGS_CLAIM] = {
    scope: [SCOPES.lineitem, SCOPES.lineitemRead, SCOPES.resultRead, SCOPES.score],
    lineitems: urls.lineitems,
    ...(!deepLinking && launch.lineItem ? { lineitem: launch.lineItem.id } : {}),
    ...canvasNoise(),
  };
  audience(p, claims);
  Object.assign(claims, {
    [`${LTI}deployment_id`]: p.deploymentId,
    exp: iat + 3600,
    iat,
    iss: p.issuer,
    nonce: launch.nonce,
    sub: ids.sub(p, user),
    [`${LTI}target_link_uri`]: launch.targetLinkUri,
    picture: 'http://canvas.instructure.com/images/messages/avatar-50.png',
    email: user.email,
    name: fullName(p, user),
    given_name: user.given,
    family_name: user.family,
    [`${LTI}lis`]: { person_sourcedid: null, course_offering_sourcedid: null, ...canvasNoise() },
    [`${LTI}context`]: {
      id: ids.context(p, context),
      label: context.label,
      title: context.title,
      type: [`${LIS}course#CourseOffering`],
      ...canvasNoise(),
    },
    [`${LTI}tool_platform`]: { guid: p.identity.guid, name: p.identity.siteName, version: 'cloud', product_family_code: 'canvas', ...canvasNoise() },
    [`${LTI}launch_presentation`]: {
      document_target: 'iframe',
      return_url: `${p.url}/courses/${context.id}/external_content/success/external_tool_redirect`,
      locale: launch.locale,
      ...canvasNoise(),
    },
    locale: launch.locale,
    [`${LTI}roles`]: launch.roles,
    [`${LTI}custom`]: { ...(launch.custom ?? {}) },
    [NRPS_CLAIM]: { context_memberships_url: urls.memberships, service_versions: ['2.0'], ...canvasNoise() },
    [`${LTI}lti11_legacy_user_id`]: ids.opaque(p, 'user', user.id),
    [`${LTI}lti1p1`]: { user_id: ids.opaque(p, 'user', user.id), ...canvasNoise() },
  });
  if (deepLinking) {
    // DEEP_LINKING_DETAILS['link_selection']
    claims[DL_CLAIM] = {
      deep_link_return_url: launch.deepLinkReturnUrl ?? `${p.url}/courses/${context.id}/deep_linking_response?modal=true&placement=link_selection`,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_media_types: 'application/vnd.ims.lti.v1.ltilink',
      auto_create: false,
      accept_multiple: true,
      ...(launch.deepLinkData !== undefined ? { data: launch.deepLinkData } : {}),
      ...canvasNoise(),
    };
  }
  claims.errors = { errors: {} };
  claims['https://www.instructure.com/placement'] = deepLinking ? 'link_selection' : 'course_navigation';
  return claims;
}

/** One member of an NRPS answer (NRPS 2.0 §2.3), with the fields each platform fills. */
export function nrpsMember(p, { user, role, status = 'Active' }) {
  if (p.flavour === 'moodle') {
    return {
      status,
      roles: memberRoles('moodle', role),
      user_id: String(user.id),
      lis_person_sourcedid: '',
      name: fullName(p, user),
      given_name: user.given,
      family_name: user.family,
      email: user.email,
    };
  }
  return {
    status,
    name: fullName(p, user),
    picture: 'http://canvas.instructure.com/images/messages/avatar-50.png',
    given_name: user.given,
    family_name: user.family,
    email: user.email,
    user_id: ids.sub(p, user),
    lti11_legacy_user_id: ids.opaque(p, 'user', user.id),
    roles: memberRoles('canvas', role),
  };
}

/** The context object at the top of an NRPS answer. */
export function nrpsContext(p, context) {
  return { id: ids.context(p, context), label: context.label, title: context.title };
}

/**
 * One page of members and the Link header for it. Moodle pages only when the tool sends
 * `limit` (next: ?limit=&from=, one rel="next" link); Canvas always pages (Api.paginate,
 * default 10 a page, `limit` honoured) and sends current, next, first and last in one header.
 * `membersPerPage` (the platform's knob) stands for the page size when the tool sends none.
 */
export function nrpsPage(p, endpoint, query, members, membersPerPage) {
  const asked = Number.parseInt(query.get('limit') ?? '', 10);
  if (p.flavour === 'moodle') {
    const limit = asked > 0 ? asked : membersPerPage;
    if (!(limit > 0)) return { members, link: null };
    const from = Math.max(0, Number.parseInt(query.get('from') ?? '0', 10) || 0);
    const page = members.slice(from, from + limit);
    const more = members.length > from + limit;
    return { members: page, link: more ? `<${endpoint}?limit=${limit}&from=${from + limit}>; rel="next"` : null };
  }
  const perPage = asked > 0 ? asked : Number.parseInt(query.get('per_page') ?? '', 10) || membersPerPage || 10;
  const pageNo = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const last = Math.max(1, Math.ceil(members.length / perPage));
  const at = (n) => `<${endpoint}?page=${n}&per_page=${perPage}>`;
  const rels = [`${at(pageNo)}; rel="current"`];
  if (pageNo < last) rels.push(`${at(pageNo + 1)}; rel="next"`);
  if (pageNo > 1) rels.push(`${at(pageNo - 1)}; rel="prev"`);
  rels.push(`${at(1)}; rel="first"`, `${at(last)}; rel="last"`);
  return { members: members.slice((pageNo - 1) * perPage, pageNo * perPage), link: rels.join(',') };
}
