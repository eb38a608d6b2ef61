// -Dlockdep4j.writeBaseline wrote the cycle's finding to lockdep4j-baseline.json; the next build accepts it and passes.
def log = new File(basedir, 'build.log').text
def baseline = new groovy.json.JsonSlurper().parse(new File(basedir, 'lockdep4j-baseline.json'))
assert baseline.findings*.key == ['lock-order-cycle:com.example.bank.Bank.accountsLock+com.example.bank.Bank.ledgerLock']
assert log.count('BUILD SUCCESS') == 2 : 'both invocations passed'
assert log.contains('lockdep4j-baseline.json written with 1 finding')
assert log.contains('lockdep4j: check: 0 new findings, 1 baselined')
// the agent's own report (onCycle=report) is in the test output; the check must not report the baselined finding
assert !log.contains('possible circular locking dependency detected:')
assert new File(basedir, 'target/lockdep4j/lockdep4j.txt').text.contains('Summary: no findings')
return true
