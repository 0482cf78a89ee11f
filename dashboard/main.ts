// The dashboard's entry: the app shell and its first screen (login, counter).
import './fidelio-dashboard.ts';
