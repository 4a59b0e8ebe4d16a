-- The legacy schema exactly as existing installations have it (CONTRACT.md §4).
-- On an existing database every table is already there and nothing changes.
CREATE TABLE IF NOT EXISTS studio (
  id_studio     SERIAL PRIMARY KEY,
  nama_studio   VARCHAR(100) NOT NULL
);
CREATE TABLE IF NOT EXISTS customer (
  id_customer     SERIAL PRIMARY KEY,
  kode_cs         VARCHAR(20)  NOT NULL,
  nama_cs         VARCHAR(100) NOT NULL,
  jenis_kelamin   VARCHAR(10)  NULL,
  telp            VARCHAR(20)  NULL,
  alamat          TEXT         NULL,
  jenis_cs        INTEGER      NULL,
  tanggal_booking TIMESTAMP    NULL
);
CREATE TABLE IF NOT EXISTS booking_online (
  id_booking      SERIAL PRIMARY KEY,
  nama_customer   VARCHAR(100) NOT NULL,
  telp_customer   VARCHAR(20)  NOT NULL,
  email_customer  VARCHAR(100) NULL,
  studio_id       INTEGER      NOT NULL,
  tanggal_booking DATE         NOT NULL,
  jam_booking     TIME         NOT NULL,
  created_at      TIMESTAMP    NOT NULL DEFAULT now()
);
