CREATE TABLE customers (
    `seq` BIGINT,
    `id` STRING,
    `name` STRING,
    `grade` STRING,
    `revenue` DECIMAL(18,2),
    `last_contact` DATE,
    `price_agreed` BOOLEAN,
    `note` STRING
);
CREATE TABLE activities (
    `seq` BIGINT,
    `date` DATE,
    `customer_id` STRING,
    `kind` STRING,
    `amount` DECIMAL(18,2),
    `note` STRING
);
