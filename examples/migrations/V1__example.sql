-- An example of your own migrations folder: ./augur serve --migrations examples/migrations
-- Flyway applies V1__..., V2__... once each, in order, through Augur's jdbc:augur: layer, so a script may use
-- Augur's statements (TRAIN MODEL, DEPLOY MODEL, CREATE PREDICTION VIEW) beside plain SQL.

CREATE TABLE example_mails (id INT PRIMARY KEY, body VARCHAR(10000) NOT NULL, is_spam INT NOT NULL);
INSERT INTO example_mails VALUES
    (1, 'Cheap pills, buy now, best offer', 1),
    (2, 'Team meeting moved to noon, agenda attached', 0),
    (3, 'You won a prize: claim your cheap offer now', 1),
    (4, 'Minutes of the project meeting', 0),
    (5, 'Best offer on pills, limited time, buy now', 1),
    (6, 'Can we move the review to Friday?', 0),
    (7, 'Claim your free prize now', 1),
    (8, 'Draft agenda for the review meeting', 0);

-- a bag-of-words logistic model (one text input), trained from the table above and deployed
TRAIN MODEL example_spam KIND logistic FROM (SELECT body, is_spam FROM example_mails) WITH (epochs = 20);
DEPLOY MODEL example_spam VERSION 1;

-- predictions kept up to date as rows change: SELECT * FROM example_scores
CREATE PREDICTION VIEW example_scores AS SELECT id, PREDICT('example_spam', body) FROM example_mails;
