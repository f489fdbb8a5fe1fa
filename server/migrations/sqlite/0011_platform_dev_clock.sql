-- The development clock (`/dev/clock`, M-7): how far it was moved forward, one row shared by
-- every instance. Production never writes it.
CREATE TABLE dev_clock (
    id          INTEGER PRIMARY KEY,
    offset_secs BIGINT  NOT NULL
);
