package client

import "github.com/certledger/certledger/api/wire"

// History is the events of one stream, oldest first, as the history routes show them.
type History = wire.History

// Event is one event of a stream: who did what, when, and the hashes chaining it to the
// events before.
type Event = wire.HistoryEvent

// Actor is who appended an event, as the event records it.
type Actor = wire.EventActor
