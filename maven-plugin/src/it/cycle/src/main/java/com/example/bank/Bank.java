package com.example.bank;

import java.util.concurrent.locks.ReentrantLock;

/** Two locks: transfer takes accounts then ledger, audit takes ledger then accounts (the inversion). */
public class Bank {
    private final ReentrantLock accountsLock = new ReentrantLock();
    private final Object ledgerLock = new Object();
    private long balance;
    private long entries;

    public void transfer(long amount) {
        accountsLock.lock();
        try {
            synchronized (ledgerLock) {
                balance += amount;
                entries++;
            }
        } finally {
            accountsLock.unlock();
        }
    }

    public long audit() {
        synchronized (ledgerLock) {
            accountsLock.lock();
            try {
                return balance + entries;
            } finally {
                accountsLock.unlock();
            }
        }
    }
}
