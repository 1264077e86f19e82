import MeshplayCore

extension LockstepSession {
    /// Follows the slack peers report for our inputs (see `InputDelayController`).
    mutating func adaptDelay() {
        guard configuration.adaptsInputDelay else { return }
        let reports = livePeers.map { (slot: $0.index, report: peers[$0.index].slackOfOurInputs) }
        let log = logs[me.index]
        // Lowering skips one sample; only do it when the skip happens in this very call
        // (not on a stalled call, where it would fall on a later, perhaps different sample)
        // and the skipped sample repeats the last one anyway.
        let canLower = log.contiguousEnd == dueTicks + delay.current && pendingChats.isEmpty && pendingSeat == nil
            && log.last?.input == currentInput
        let before = delay.current
        guard let wanted = delay.decide(reports: reports, nextScheduledTick: log.contiguousEnd, canLower: canLower) else { return }
        if wanted > before { stats.delayRaises += 1 } else { stats.delayLowers += 1 }
        stats.inputDelay = wanted
    }

    /// Puts the current input at tick `dueTicks + delay`. A raised delay leaves a gap,
    /// filled by repeating the last input; a lowered one means this sample is skipped.
    /// Either way every tick of our stream gets exactly one command.
    mutating func scheduleLocalInput(at now: Timestamp) {
        let target = dueTicks + delay.current
        while logs[me.index].contiguousEnd < target {
            let repeated = logs[me.index].last?.input ?? .none
            logs[me.index].append(.init(input: repeated, chat: nil, time: now, measured: false))
        }
        guard logs[me.index].contiguousEnd == target else { return }
        let chat = pendingChats.isEmpty ? nil : pendingChats.removeFirst()
        let seat = pendingSeat.map { LockstepMessage.Seat(slot: $0.slot, tick: UInt32(clamping: target + $0.lead)) }
        pendingSeat = nil
        logs[me.index].append(.init(input: currentInput, chat: chat, seat: seat, time: now, measured: true))
    }

    /// One frame: the next tick becomes due. Counts a stall when the tick due at
    /// the previous frame is still waiting, then simulates what it can.
    mutating func advanceFrame(at now: Timestamp, into actions: inout [LockstepAction]) {
        stats.tickCalls += 1
        if nextTick < dueTicks {
            stats.stallTicks += 1
            actions.append(.stalled(waitingFor: culprits(at: nextTick)))
        }
        dueTicks += 1
        // A returning node's frames may run before its first tick: nothing is due there.
        if dueTicks > nextTick { dueTimes.append(now) }
        simulateDueTicks(at: now, into: &actions)
        trimLogs()
    }

    /// Simulates due ticks in order while every active player's command is known.
    mutating func simulateDueTicks(at now: Timestamp, into actions: inout [LockstepAction]) {
        while nextTick < dueTicks, halted == nil, !isHeld {
            let tick = nextTick
            let tickValue = Tick(UInt32(clamping: tick))
            seatReturningPlayers(at: tick, into: &actions)
            settleDrops()
            // A lost player still unsettled here may yet be dropped at this very tick: until it
            // settles, announce no drop at this tick, so every peer reports them in slot order.
            let unsettled = (0..<playerCount).contains {
                lostMask & (1 << UInt32($0)) != 0 && dropTick[$0] == nil && !dropped[$0] && logs[$0].contiguousEnd <= tick
            }
            let dropping = unsettled ? [] : (0..<playerCount).filter { dropTick[$0] == tick && !dropped[$0] }
            if !dropping.isEmpty, !holdsMajority {
                halted = .lostMajority
                actions.append(.lostMajority(atTick: tickValue, reachable: reachableSlots))
                return
            }
            for index in dropping {
                dropped[index] = true
                actions.append(.dropped(slot: PlayerSlot(index), atTick: tickValue))
            }
            guard culprits(at: tick).isEmpty else { return }
            var inputs: [PlayerInput] = []
            inputs.reserveCapacity(playerCount)
            let due = dueTimes.first ?? now
            for index in 0..<playerCount {
                guard !dropped[index], let entry = logs[index].entry(at: tick) else {
                    inputs.append(.none)
                    continue
                }
                inputs.append(entry.input)
                if let text = entry.chat { actions.append(.chat(slot: PlayerSlot(index), text: text, tick: tickValue)) }
                if let seat = entry.seat { scheduleSeat(seat, announcedAt: tick, into: &actions) }
                guard entry.measured else { continue }
                if index == me.index {
                    stats.inputLatency.add(now - entry.time)
                } else {
                    peers[index].slackOfTheirInputs.record(tick: tick, slackMicroseconds: (due - entry.time).microseconds)
                }
            }
            // Checkpoints fall where the game's tick count reaches a multiple of K,
            // which is where a replay records them (state at `game.tick == tick + 1`).
            let checksumDue = (tick + 1) % configuration.checksumInterval == 0
            actions.append(.advance(tick: tickValue, inputs: inputs, checksumDue: checksumDue))
            stats.ticksSimulated += 1
            nextTick += 1
            dueTimes.removeFirst()
        }
    }

    /// Forgets commands every live peer holds and we have simulated; keeps what a
    /// survivor might still need forwarded if its author is lost.
    mutating func trimLogs() {
        guard nextTick % 64 == 0 else { return }
        let live = livePeers
        for index in 0..<playerCount {
            var keepFrom = nextTick
            for peer in live { keepFrom = min(keepFrom, peers[peer.index].have[index]) }
            logs[index].discard(below: keepFrom)
        }
    }
}
