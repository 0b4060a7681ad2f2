"""In-app notifications: any domain tells a person about something (new
feedback, a new assignment, a due date coming up, an attempt about to expire);
the navigation shows the unread count."""
