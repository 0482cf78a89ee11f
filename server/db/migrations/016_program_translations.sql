-- The owner's texts in the other language (issue 16): the reward's name and the terms, for the
-- members who speak it. The programs saved before get none (their passes read as before).
UPDATE programs
   SET settings = settings || '{"translations": {"en": {"rewardName": null, "terms": null}, "fr": {"rewardName": null, "terms": null}}}'::jsonb
 WHERE NOT settings ? 'translations';
