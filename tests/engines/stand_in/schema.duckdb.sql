CREATE TABLE customers (
    "seq" BIGINT,
    "id" VARCHAR,
    "name" VARCHAR,
    "grade" VARCHAR,
    "revenue" DECIMAL(18,2),
    "last_contact" DATE,
    "price_agreed" BOOLEAN,
    "note" VARCHAR
);
CREATE TABLE activities (
    "seq" BIGINT,
    "date" DATE,
    "customer_id" VARCHAR,
    "kind" VARCHAR,
    "amount" DECIMAL(18,2),
    "note" VARCHAR
);
