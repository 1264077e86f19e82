@testable import Blast

/// A map cell by column and row.
func point(_ x: Int, _ y: Int) -> BlastPoint { BlastPoint(x: x, y: y) }
