"""A part-of-speech tagger in PyTorch: embedding -> bidirectional LSTM -> linear tag scores, default init.

What InitLens should report: lstm-forget-bias and recurrent-not-orthogonal, both as information.

Why: PyTorch draws every LSTM parameter from U(+-1/sqrt(hidden_size)), biases included, so the forget gate
starts at sigmoid(~0) = 0.5 and the cell keeps half its memory per step (1e-3 after ten steps); Keras and the
LSTM papers (Gers et al. 2000, Jozefowicz et al. 2015) start the forget-gate bias at 1. The fix fills the forget
quarter of bias_ih with 1 right after the LSTM is built. The recurrent matrices weight_hh are not orthogonal
(Keras and tfjs default to orthogonal; Saxe et al. 2014); the fix inserts nn.init.orthogonal_ for them. Both
are PyTorch defaults rather than choices, hence information, not warnings.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LSTMTagger(nn.Module):
    def __init__(self, vocab_size=10000, embedding_dim=100, hidden_dim=128, tagset_size=17):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.3)
        self.hidden2tag = nn.Linear(2 * hidden_dim, tagset_size)

    def forward(self, sentence):
        embeds = self.word_embeddings(sentence)
        lstm_out, _ = self.lstm(embeds)
        tag_space = self.hidden2tag(self.dropout(lstm_out))
        return F.log_softmax(tag_space, dim=-1)


tagger = LSTMTagger()
