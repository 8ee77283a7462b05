-- LTI 1.3 platforms (courses/lti.hpp): a Moodle or Canvas site registered by an administrator,
-- one row per issuer and client id, with the deployments of the tool on it. Nothing is deleted:
-- a platform is disabled. Every statement is idempotent: running the file again changes nothing.

CREATE TABLE IF NOT EXISTS lti_platforms (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(200) NOT NULL,
  issuer VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  client_id VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  auth_url VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  token_url VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  jwks_url VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  disabled TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  -- The issuer is long; its hash keeps (issuer, client_id) unique within an index's size.
  issuer_hash BINARY(32) AS (UNHEX(SHA2(issuer, 256))) PERSISTENT,
  PRIMARY KEY (id),
  UNIQUE KEY uq_lti_platforms_issuer_client (issuer_hash, client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS lti_deployments (
  platform_id BIGINT NOT NULL,
  deployment_id VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (platform_id, deployment_id),
  CONSTRAINT fk_lti_deployments_platform FOREIGN KEY (platform_id) REFERENCES lti_platforms (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
