import Foundation

/// Keeps the best weights seen by validation score and says when `patience` epochs in a row
/// have failed to beat it; patience 0 never stops early.
struct EarlyStopping<Weights> {
    let patience: Int
    private(set) var best: (score: Double, weights: Weights, epoch: Int)?
    private var epochsWithoutImprovement = 0

    init(patience: Int) {
        self.patience = patience
    }

    /// Records one epoch's validation score; true when training should stop.
    mutating func record(score: Double, weights: Weights, epoch: Int) -> Bool {
        if best.map({ score > $0.score }) ?? true {
            best = (score, weights, epoch)
            epochsWithoutImprovement = 0
        } else {
            epochsWithoutImprovement += 1
        }
        return patience > 0 && epochsWithoutImprovement >= patience
    }
}

/// NDCG@K of one next-item prediction over a dense score array: the target at 0-based rank r
/// (items scoring strictly higher) gains 1/log2(r + 2) when r < K (one relevant item, so the
/// ideal DCG is 1, as in DESIGN.md).
enum NextItemNDCG {
    static func value(scores: [Float], target: Int, k: Int = 10) -> Double {
        let score = scores[target]
        var rank = 0
        for other in scores where other > score {
            rank += 1
            if rank >= k { return 0 }
        }
        return 1 / log2(Double(rank) + 2)
    }
}
