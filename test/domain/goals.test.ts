// The goals' pure rules: periods, baseline and current days, direction, progress, pace, status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baselineDay,
  currentDay,
  directionOf,
  elapsedShare,
  type GoalMetric,
  goalState,
  measurePeriod,
  progressOf,
} from '../../server/domain/goals.ts';

const goal = (g: Partial<{ metric: GoalMetric; target: number; from: string; to: string; baseline: number | null }> = {}) => ({
  metric: 'purchaseFrequency' as GoalMetric,
  target: 2,
  from: '2027-01-01',
  to: '2027-06-30',
  baseline: 1.5,
  ...g,
});

describe('measurePeriod', () => {
  it('rates over the 30 days ending with the day', () => {
    assert.deepEqual(measurePeriod('purchaseFrequency', '2027-03-01', '2027-01-01'), { from: '2027-01-31', to: '2027-03-01' });
    assert.deepEqual(measurePeriod('nps', '2027-01-30', '2027-01-01'), { from: '2027-01-01', to: '2027-01-30' });
  });
  it('members at the end of the day; new members since the start, none before it', () => {
    assert.deepEqual(measurePeriod('members', '2027-03-01', '2027-01-01'), { from: '2027-03-01', to: '2027-03-01' });
    assert.deepEqual(measurePeriod('newMembers', '2027-03-01', '2027-01-01'), { from: '2027-01-01', to: '2027-03-01' });
    assert.equal(measurePeriod('newMembers', '2026-12-31', '2027-01-01'), null);
  });
});

describe('baseline and current days', () => {
  it('the baseline is the day before the start, or today for a goal starting later', () => {
    assert.equal(baselineDay('2027-01-01', '2027-03-01'), '2026-12-31');
    assert.equal(baselineDay('2027-03-01', '2027-03-01'), '2027-02-28');
    assert.equal(baselineDay('2027-04-01', '2027-03-01'), '2027-03-01');
  });
  it('the current figure is today’s, and the deadline’s once it has passed', () => {
    assert.equal(currentDay('2027-06-30', '2027-03-01'), '2027-03-01');
    assert.equal(currentDay('2027-06-30', '2027-06-30'), '2027-06-30');
    assert.equal(currentDay('2027-06-30', '2027-09-01'), '2027-06-30');
  });
});

describe('direction and progress', () => {
  it('up or down from the baseline; without one, the way the figure is better', () => {
    assert.equal(directionOf('purchaseFrequency', 1.5, 2), 'up');
    assert.equal(directionOf('rewardCostPercent', 20, 10), 'down');
    assert.equal(directionOf('retentionRate', 50, 40), 'down');
    assert.equal(directionOf('nps', null, 30), 'up');
    assert.equal(directionOf('rewardCostPercent', null, 10), 'down');
  });
  it('the share of the way, 0..100, for a goal going up', () => {
    assert.equal(progressOf(1.75, 1.5, 2, 'up'), 50);
    assert.equal(progressOf(1.5, 1.5, 2, 'up'), 0);
    assert.equal(progressOf(1.2, 1.5, 2, 'up'), 0, 'worse than the baseline is 0, not negative');
    assert.equal(progressOf(2, 1.5, 2, 'up'), 100);
    assert.equal(progressOf(3, 1.5, 2, 'up'), 100);
    assert.equal(progressOf(1.6, 1.5, 2, 'up'), 20);
  });
  it('the same for a goal going down', () => {
    assert.equal(progressOf(15, 20, 10, 'down'), 50);
    assert.equal(progressOf(25, 20, 10, 'down'), 0);
    assert.equal(progressOf(10, 20, 10, 'down'), 100);
    assert.equal(progressOf(4, 20, 10, 'down'), 100);
  });
  it('signed figures (NPS from −20 to +10)', () => {
    assert.equal(progressOf(-5, -20, 10, 'up'), 50);
  });
  it('0 without a current value or baseline, unless reached', () => {
    assert.equal(progressOf(null, 1.5, 2, 'up'), 0);
    assert.equal(progressOf(1.8, null, 2, 'up'), 0);
    assert.equal(progressOf(2.1, null, 2, 'up'), 100);
    assert.equal(progressOf(2, 2, 2, 'up'), 100, 'a target at its baseline is reached');
  });
});

describe('elapsedShare', () => {
  it('0 on the first day and before, 1 after the deadline', () => {
    assert.equal(elapsedShare('2027-01-01', '2027-01-10', '2026-12-25'), 0);
    assert.equal(elapsedShare('2027-01-01', '2027-01-10', '2027-01-01'), 0);
    assert.equal(elapsedShare('2027-01-01', '2027-01-10', '2027-01-06'), 0.5);
    assert.equal(elapsedShare('2027-01-01', '2027-01-10', '2027-01-10'), 0.9);
    assert.equal(elapsedShare('2027-01-01', '2027-01-10', '2027-01-11'), 1);
  });
});

describe('goalState', () => {
  const g = goal({ from: '2027-01-01', to: '2027-01-10', baseline: 1, target: 2 });
  it('active and on track when progress keeps pace with the days', () => {
    assert.deepEqual(goalState(g, 1.5, '2027-01-06'), { direction: 'up', progress: 50, status: 'active', onTrack: true });
    assert.deepEqual(goalState(g, 1.4, '2027-01-06'), { direction: 'up', progress: 40, status: 'active', onTrack: false });
    assert.equal(goalState(g, 1, '2027-01-01').onTrack, true, 'on the first day nothing is due yet');
    assert.equal(goalState(g, 1, '2026-12-01').status, 'active', 'a goal that has not started');
  });
  it('met as soon as reached, on track, progress 100', () => {
    assert.deepEqual(goalState(g, 2, '2027-01-02'), { direction: 'up', progress: 100, status: 'met', onTrack: true });
  });
  it('a target already met at the start', () => {
    assert.deepEqual(goalState(goal({ baseline: 3, target: 2, metric: 'rewardCostPercent' }), 1.9, '2027-01-01'), {
      direction: 'down',
      progress: 100,
      status: 'met',
      onTrack: true,
    });
  });
  it('after the deadline: met, or missed and not on track', () => {
    assert.equal(goalState(g, 2.5, '2027-02-01').status, 'met');
    assert.deepEqual(goalState(g, 1.9, '2027-01-11'), { direction: 'up', progress: 90, status: 'missed', onTrack: false });
    assert.equal(goalState(g, null, '2027-02-01').status, 'missed');
    assert.equal(goalState(g, 1.9, '2027-01-10').status, 'active', 'the deadline day itself still counts');
  });
  it('a goal going down', () => {
    const down = goal({ metric: 'rewardCostPercent', baseline: 20, target: 10, from: '2027-01-01', to: '2027-01-10' });
    assert.deepEqual(goalState(down, 15, '2027-01-06'), { direction: 'down', progress: 50, status: 'active', onTrack: true });
    assert.deepEqual(goalState(down, 9, '2027-01-06'), { direction: 'down', progress: 100, status: 'met', onTrack: true });
    assert.equal(goalState(down, 21, '2027-01-20').status, 'missed');
  });
});
