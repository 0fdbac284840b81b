CREATE TABLE customers (
    "seq" BIGINT,
    "id" TEXT,
    "name" TEXT,
    "grade" TEXT,
    "revenue" DECIMAL(18,2),
    "last_contact" DATE,
    "price_agreed" BOOLEAN,
    "note" TEXT
);
CREATE TABLE activities (
    "seq" BIGINT,
    "date" DATE,
    "customer_id" TEXT,
    "kind" TEXT,
    "amount" DECIMAL(18,2),
    "note" TEXT
);
